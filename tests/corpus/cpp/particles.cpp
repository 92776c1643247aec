// Structs in vectors, references, pairwise interactions, atomics and exceptions.
#include <atomic>
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <vector>

struct Particle {
    double x, y, vx, vy;
};

void integrate(std::vector<Particle>& ps, double dt)
{
    // expect: parallel
    for (std::size_t i = 0; i < ps.size(); i++) {
        Particle& p = ps[i];
        p.x += p.vx * dt;
        p.y += p.vy * dt;
    }
}

void damp(std::vector<Particle>& ps, double factor)
{
    // expect: parallel
    for (auto& p : ps) {
        p.vx *= factor;
        p.vy *= factor;
    }
}

void chain_positions(std::vector<Particle>& ps)
{
    // expect: sequential
    for (std::size_t i = 1; i < ps.size(); i++)
        ps[i].x = ps[i - 1].x + 1.0;
}

void velocity_from_neighbour(std::vector<Particle>& ps)
{
    const std::size_t n = ps.size();
    if (n < 2)
        return;
    // expect: parallel
    for (std::size_t i = 0; i < n - 1; i++)
        ps[i].vx = ps[i + 1].x - ps[i].x;
}

double potential_energy(const std::vector<Particle>& ps)
{
    double e = 0.0;
    const std::size_t n = ps.size();
    // expect: parallel reduction(+:e)
    for (std::size_t i = 0; i < n; i++) {
        // expect: parallel reduction(+:e)
        for (std::size_t j = i + 1; j < n; j++) {
            const double dx = ps[i].x - ps[j].x;
            const double dy = ps[i].y - ps[j].y;
            e += 1.0 / std::sqrt(dx * dx + dy * dy + 1e-9);
        }
    }
    return e;
}

std::vector<double> pair_forces_newton3(const std::vector<Particle>& ps)
{
    const std::size_t n = ps.size();
    std::vector<double> fx(n, 0.0);
    // expect: sequential
    for (std::size_t i = 0; i < n; i++) {
        double fi = 0.0;
        // expect: parallel reduction(+:fi)
        for (std::size_t j = i + 1; j < n; j++) {
            const double f = ps[j].x - ps[i].x;
            fi += f;
            fx[j] -= f;
        }
        fx[i] += fi;
    }
    return fx;
}

double reference_to_other_local(std::size_t n)
{
    std::vector<double> a(n, 1.0), b(n, 2.0);
    std::vector<double>& ra = a;
    // expect: parallel
    for (std::size_t i = 0; i < n; i++)
        ra[i] = b[i] + 1.0;
    // expect: sequential
    for (std::size_t i = 1; i < n; i++)
        ra[i] = a[i - 1] * 0.5;
    return a.empty() ? 0.0 : a.back();
}

int count_with_atomic(const std::vector<int>& v)
{
    std::atomic<int> c{0};
    // expect: sequential
    for (std::size_t i = 0; i < v.size(); i++)
        if (v[i] > 0)
            c++;
    return c.load();
}

std::vector<double> checked_sqrt(const std::vector<double>& v)
{
    std::vector<double> out(v.size());
    // expect: sequential
    for (std::size_t i = 0; i < v.size(); i++) {
        if (v[i] < 0.0)
            throw std::invalid_argument("negative input");
        out[i] = std::sqrt(v[i]);
    }
    return out;
}

void scale_restrict(float* __restrict out, const float* __restrict in, float f, int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        out[i] = f * in[i];
}

void scale_plain(float* out, const float* in, float f, int n)
{
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        out[i] = f * in[i];
}

void integrate_soa(double* x, double* y, const double* vx, const double* vy, double dt, int n)
{
    // expect: runtime-check
    for (int i = 0; i < n; i++) {
        x[i] += vx[i] * dt;
        y[i] += vy[i] * dt;
    }
}

double kinetic_energy_soa(const double* vx, const double* vy, const double* mass, int n)
{
    double e = 0.0;
    // expect: parallel reduction(+:e)
    for (int i = 0; i < n; i++)
        e += 0.5 * mass[i] * (vx[i] * vx[i] + vy[i] * vy[i]);
    return e;
}

void simulate(std::vector<Particle>& ps, double dt, int steps)
{
    // expect: sequential
    for (int s = 0; s < steps; s++) {
        integrate(ps, dt);
        damp(ps, 0.999);
    }
}

bool any_collision(const std::vector<Particle>& ps, const Particle& probe, double r)
{
    // expect: sequential
    for (std::size_t i = 0; i < ps.size(); i++) {
        const double dx = ps[i].x - probe.x, dy = ps[i].y - probe.y;
        if (dx * dx + dy * dy < r * r)
            return true;
    }
    return false;
}
