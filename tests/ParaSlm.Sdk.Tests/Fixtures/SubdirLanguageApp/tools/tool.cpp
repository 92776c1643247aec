#include <cstdio>
#include <vector>

int main()
{
    const int n = 1000000;
    std::vector<long long> a(n);
    long long *p = a.data();
    for (int i = 0; i < n; i++)
        p[i] = (long long)i * 5 + (i % 13) * (i % 3);
    long long sum = 0;
    for (int i = 0; i < n; i++)
        sum += p[i] % 977;
    std::printf("cpp sum=%lld\n", sum);
    return 0;
}
