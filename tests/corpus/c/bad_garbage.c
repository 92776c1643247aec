/* Deliberately broken: not C at all after the first declaration. */
static int values[16];

int first(void) { return values[0]; }

@@@ this is not a translation unit $$$ ]]] ((( 
int int int = = ; ;
void (( broken ]] {
    for (int i = 0; i < 16; i++) values[i] = i
}
