/* Not pure: every call writes the global counter. Declaring it pure (ParaSlmAssumePure=bump) is a false assertion. */
long calls = 0;

long bump(long x)
{
    calls++;
    return x * 3 + 1;
}
