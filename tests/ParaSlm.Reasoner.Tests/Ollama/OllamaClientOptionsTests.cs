using ParaSlm.Reasoner.Ollama;

namespace ParaSlm.Reasoner.Tests.Ollama;

[Category("Unit")]
public sealed class OllamaClientOptionsTests
{
    [Test]
    public void Defaults_match_the_documented_contract()
    {
        var o = new OllamaClientOptions();

        Assert.That(o.Endpoint, Is.EqualTo(new Uri("http://localhost:11434/")));
        Assert.That(o.Model, Is.EqualTo("qwen2.5:1.5b"));
        Assert.That(o.RequestTimeout, Is.EqualTo(TimeSpan.FromSeconds(60)));
        Assert.That(o.MaxRetries, Is.EqualTo(2));
        Assert.That(o.ContextLength, Is.EqualTo(4096));
        Assert.That(o.KeepAlive, Is.EqualTo("5m"));
    }

    [TestCase(null, "http://localhost:11434/")]
    [TestCase("", "http://localhost:11434/")]
    [TestCase("   ", "http://localhost:11434/")]
    [TestCase("gpu-box", "http://gpu-box:11434/")]
    [TestCase("gpu-box:8080", "http://gpu-box:8080/")]
    [TestCase("10.0.0.5", "http://10.0.0.5:11434/")]
    [TestCase("0.0.0.0", "http://127.0.0.1:11434/")]
    [TestCase("0.0.0.0:11500", "http://127.0.0.1:11500/")]
    [TestCase("[::1]:11434", "http://[::1]:11434/")]
    [TestCase("::", "http://[::1]:11434/")]
    [TestCase("http://gpu-box:11434", "http://gpu-box:11434/")]
    [TestCase("http://gpu-box", "http://gpu-box/")]
    [TestCase("https://ollama.example.com", "https://ollama.example.com/")]
    [TestCase("https://proxy.example.com:8443/ollama", "https://proxy.example.com:8443/ollama/")]
    [TestCase("gpu-box:notaport", "http://gpu-box:11434/")]
    public void ResolveEndpoint_reads_OLLAMA_HOST_like_the_ollama_cli(string? value, string expected)
    {
        Assert.That(OllamaClientOptions.ResolveEndpoint(value), Is.EqualTo(new Uri(expected)));
    }

    [Test]
    public void ResolveEndpoint_rejects_a_scheme_that_cannot_reach_ollama()
    {
        Assert.Throws<ArgumentException>(() => OllamaClientOptions.ResolveEndpoint("ftp://gpu-box"));
    }

    [Test]
    public void A_client_rejects_options_that_cannot_work()
    {
        Assert.Throws<ArgumentException>(() => new OllamaChatClient(new OllamaClientOptions { ContextLength = 0 }));
        Assert.Throws<ArgumentException>(() => new OllamaChatClient(new OllamaClientOptions { MaxRetries = -1 }));
        Assert.Throws<ArgumentException>(() => new OllamaChatClient(new OllamaClientOptions { RequestTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => new OllamaChatClient(new OllamaClientOptions { Endpoint = new Uri("ftp://x/") }));
    }
}
