/* Not pure: each call returns the next number. ParaSlmAssumePure=next_id is a false assertion. */
static long counter = 0;

long next_id(void)
{
    return ++counter;
}
