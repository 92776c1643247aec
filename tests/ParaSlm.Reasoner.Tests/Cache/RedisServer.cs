using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ParaSlm.Reasoner.Tests.Cache;

/// <summary>
/// A real redis-server on a free loopback port, started by the test and stopped with it. A machine without
/// redis-server fails these tests (never skips them): `.ci/bootstrap` installs it, `apt-get install redis-server` does
/// by hand.
/// </summary>
internal sealed class RedisServer : IDisposable
{
    private readonly Process _process;

    private RedisServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"redis://127.0.0.1:{Port}";

    public static string? FindExecutable()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Concat(["/usr/bin", "/usr/local/bin", "/usr/sbin"]))
        {
            var candidate = Path.Combine(dir, OperatingSystem.IsWindows() ? "redis-server.exe" : "redis-server");
            if (dir.Length > 0 && File.Exists(candidate)) return candidate;
        }
        return null;
    }

    public static RedisServer Start()
    {
        var exe = FindExecutable();
        if (exe is null)
            Assert.Fail("redis-server is not installed, so the shared (Redis) plan cache cannot be tested. " +
                "Install it with `apt-get install -y redis-server` (.ci/bootstrap does this).");
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = FreePort();
            var psi = new ProcessStartInfo(exe!)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            // In memory only, loopback only, no config file: nothing of the machine's own Redis is touched.
            foreach (var a in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                         "--save", "", "--appendonly", "no", "--protected-mode", "yes", "--daemonize", "no", "--dir", Path.GetTempPath() })
                psi.ArgumentList.Add(a);
            var process = Process.Start(psi)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (DateTime.UtcNow < deadline && !process.HasExited)
            {
                try
                {
                    using var probe = new TcpClient();
                    probe.Connect(IPAddress.Loopback, port);
                    return new RedisServer(process, port);
                }
                catch (SocketException e)
                {
                    last = e;
                    Thread.Sleep(50);
                }
            }
            if (!process.HasExited) process.Kill();
            process.Dispose();
        }
        Assert.Fail($"redis-server did not start on a loopback port: {last?.Message}");
        return null!;
    }

    /// <summary>A loopback port nobody listens on right now.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        _process.Dispose();
    }
}
