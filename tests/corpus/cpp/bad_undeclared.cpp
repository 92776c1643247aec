// Deliberately broken: uses identifiers that were never declared.
#include <vector>

double total(const std::vector<double>& v)
{
    double s = 0.0;
    for (std::size_t i = 0; i < v.size(); i++)
        s += v[i] * undeclared_weight[i];
    return s + missing_function(s);
}
