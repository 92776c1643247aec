using ParaSlm.Reasoner.Ollama;
using ParaSlm.Reasoner.Tests.Support;

namespace ParaSlm.Reasoner.Tests.Strategies;

/// <summary>
/// The strategy fixtures that talk to a model: besides the <see cref="NestBedFixture"/>'s nests, a fresh loopback
/// <see cref="FakeOllamaServer"/> and a client of it for every test (each test queues its own answers and reads its own
/// requests), both disposed after it.
/// </summary>
public abstract class ModelServerFixture : NestBedFixture
{
    protected FakeOllamaServer Server { get; private set; } = null!;

    protected OllamaChatClient Client { get; private set; } = null!;

    [SetUp]
    public void StartServer()
    {
        Server = FakeOllamaServer.Start();
        Client = Server.CreateClient();
    }

    [TearDown]
    public async Task StopServer()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
