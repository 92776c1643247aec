using Microsoft.Extensions.AI;
using ParaSlm.Reasoner.Ollama;

namespace ParaSlm.Reasoner.Tests.Support;

/// <summary>The fake's own behaviour, which strategy tests rely on.</summary>
[Category("Unit")]
public sealed class FakeOllamaServerTests
{
    private static readonly ChatMessage[] Ask = [new(ChatRole.User, "loop at line 12")];

    [Test]
    public async Task Queued_replies_are_used_in_order_and_every_model_call_is_counted()
    {
        await using var server = FakeOllamaServer.Start();
        server.EnqueueChat("first");
        server.EnqueueChat("second");
        using var client = server.CreateClient();

        var a = await client.GetResponseAsync(Ask);
        var b = await client.GetResponseAsync(Ask);
        await client.ListModelsAsync();

        Assert.That((a.Text, b.Text), Is.EqualTo(("first", "second")));
        Assert.That(server.ChatRequestCount, Is.EqualTo(2));
        Assert.That(server.RequestCount, Is.EqualTo(3));
        Assert.That(server.CountRequests(FakeOllamaServer.TagsPath), Is.EqualTo(1));
        Assert.That(server.Requests.Select(r => r.Sequence), Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.That(server.ChatRequests.Select(r => r.Number), Is.EqualTo(new[] { 1, 2 }));
        Assert.That(server.PendingChatReplies, Is.Zero);
    }

    [Test]
    public async Task OnChat_computes_the_answer_from_the_request()
    {
        await using var server = FakeOllamaServer.Start();
        server.OnChat(r => $"call {r.Number} about '{r.LastUserMessage}'");
        using var client = server.CreateClient();

        var a = await client.GetResponseAsync(Ask);
        var b = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "other")]);

        Assert.That(a.Text, Is.EqualTo("call 1 about 'loop at line 12'"));
        Assert.That(b.Text, Is.EqualTo("call 2 about 'other'"));
    }

    [Test]
    public async Task Queued_replies_take_precedence_over_the_responder()
    {
        await using var server = FakeOllamaServer.Start();
        server.OnChat(_ => "fallback");
        server.EnqueueChat("queued");
        using var client = server.CreateClient();

        Assert.That((await client.GetResponseAsync(Ask)).Text, Is.EqualTo("queued"));
        Assert.That((await client.GetResponseAsync(Ask)).Text, Is.EqualTo("fallback"));
    }

    [Test]
    public async Task An_unscripted_chat_request_fails_at_once_with_a_clear_message()
    {
        await using var server = FakeOllamaServer.Start();
        using var client = server.CreateClient();

        var e = Assert.ThrowsAsync<OllamaException>(() => client.GetResponseAsync(Ask));

        Assert.That(e!.Message, Does.Contain("no scripted reply for chat request #1"));
        Assert.That(server.ChatRequestCount, Is.EqualTo(1));
    }

    [Test]
    public async Task A_non_streaming_client_gets_one_merged_json_object()
    {
        await using var server = FakeOllamaServer.Start();
        server.EnqueueChatChunks("a", "b");
        using var http = new HttpClient();

        var answer = await http.PostAsync(new Uri(server.Endpoint, "api/chat"),
            new StringContent("""{"model":"gemma3:1b","messages":[{"role":"user","content":"hi"}],"stream":false}"""));
        using var json = System.Text.Json.JsonDocument.Parse(await answer.Content.ReadAsStringAsync());

        Assert.That(json.RootElement.GetProperty("message").GetProperty("content").GetString(), Is.EqualTo("ab"));
        Assert.That(json.RootElement.GetProperty("done").GetBoolean(), Is.True);
        Assert.That(json.RootElement.GetProperty("model").GetString(), Is.EqualTo("gemma3:1b"));
        Assert.That(server.LastChatRequest.Stream, Is.False);
    }

    [Test]
    public async Task Reset_forgets_requests_and_scripts_but_keeps_models()
    {
        await using var server = FakeOllamaServer.Start();
        server.EnqueueChat("x");
        server.EnqueueChat("y");
        using var client = server.CreateClient();
        await client.GetResponseAsync(Ask);

        server.Reset();

        Assert.That(server.RequestCount, Is.Zero);
        Assert.That(server.PendingChatReplies, Is.Zero);
        Assert.That(server.Models, Has.Count.EqualTo(3));
    }
}
