using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.AI;
using ParaSlm.Reasoner.Ollama;
using ParaSlm.Reasoner.Tests.Support;

namespace ParaSlm.Reasoner.Tests.Ollama;

[Category("Unit")]
public sealed class OllamaChatClientTests
{
    private static readonly ChatMessage[] Ask = [new(ChatRole.User, "Can this loop run in parallel?")];

    private FakeOllamaServer _server = null!;

    [SetUp]
    public void SetUp() => _server = FakeOllamaServer.Start();

    [TearDown]
    public async Task TearDown() => await _server.DisposeAsync();

    // ---- streaming and aggregation --------------------------------------------------------------------------

    [Test]
    public async Task GetResponse_joins_the_streamed_chunks_into_one_assistant_message()
    {
        _server.EnqueueChatChunks("The loop ", "has no ", "carried ", "dependence.");
        using var client = _server.CreateClient();

        var response = await client.GetResponseAsync(Ask);

        Assert.That(response.Text, Is.EqualTo("The loop has no carried dependence."));
        Assert.That(response.Messages, Has.Count.EqualTo(1));
        Assert.That(response.Messages[0].Role, Is.EqualTo(ChatRole.Assistant));
        Assert.That(response.ModelId, Is.EqualTo("qwen2.5:1.5b"));
        Assert.That(response.FinishReason, Is.EqualTo(ChatFinishReason.Stop));
        Assert.That(response.CreatedAt, Is.Not.Null);
    }

    [Test]
    public async Task GetResponse_reports_token_usage_and_server_timings_from_the_done_line()
    {
        _server.EnqueueChat(ScriptedReply.Stream(ScriptedLine.Content("ok"), ScriptedLine.Done("stop", promptEvalCount: 120, evalCount: 33, totalDurationNs: 2_500_000_000)));
        using var client = _server.CreateClient();

        var response = await client.GetResponseAsync(Ask);

        Assert.That(response.Usage?.InputTokenCount, Is.EqualTo(120));
        Assert.That(response.Usage?.OutputTokenCount, Is.EqualTo(33));
        Assert.That(response.Usage?.TotalTokenCount, Is.EqualTo(153));
        Assert.That(response.AdditionalProperties?[OllamaPropertyNames.TotalDuration], Is.EqualTo(TimeSpan.FromSeconds(2.5)));
    }

    [Test]
    public async Task Done_reason_length_maps_to_finish_reason_Length()
    {
        _server.EnqueueChat(ScriptedReply.Chat("{\"parallel\": tr", doneReason: "length"));
        using var client = _server.CreateClient();

        var response = await client.GetResponseAsync(Ask);

        Assert.That(response.FinishReason, Is.EqualTo(ChatFinishReason.Length));
    }

    [Test]
    public async Task Streaming_yields_one_update_per_line_and_only_the_last_carries_finish_reason_and_usage()
    {
        _server.EnqueueChatChunks("a", "b", "c");
        using var client = _server.CreateClient();

        var updates = new List<ChatResponseUpdate>();
        await foreach (var u in client.GetStreamingResponseAsync(Ask)) updates.Add(u);

        Assert.That(updates, Has.Count.EqualTo(4)); // three chunks + the done line
        Assert.That(updates.Take(3).Select(u => u.Text), Is.EqualTo(new[] { "a", "b", "c" }));
        Assert.That(updates.Take(3).All(u => u.FinishReason is null), Is.True);
        Assert.That(updates[^1].FinishReason, Is.EqualTo(ChatFinishReason.Stop));
        Assert.That(updates[^1].Contents.OfType<UsageContent>().Single().Details.OutputTokenCount, Is.EqualTo(3));
        Assert.That(updates.All(u => u.Role == ChatRole.Assistant && u.ModelId == "qwen2.5:1.5b"), Is.True);
    }

    // ---- request shape --------------------------------------------------------------------------------------

    [Test]
    public async Task Structured_output_sends_the_json_schema_in_format_and_returns_the_json_content()
    {
        var schema = JsonDocument.Parse("""
            {"type":"object","properties":{"parallel":{"type":"boolean"},"clauses":{"type":"string"}},"required":["parallel","clauses"]}
            """).RootElement;
        _server.EnqueueChat(ScriptedReply.Json("""{"parallel":true,"clauses":"reduction(+:s)"}"""));
        using var client = _server.CreateClient();

        var response = await client.GetResponseAsync(Ask, new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "plan") });

        var sent = _server.LastChatRequest;
        Assert.That(sent.FormatKind, Is.EqualTo("schema"));
        Assert.That(JsonElement.DeepEquals(sent.Format!.Value, schema), Is.True, sent.Request.Body);
        using var answer = JsonDocument.Parse(response.Text);
        Assert.That(answer.RootElement.GetProperty("clauses").GetString(), Is.EqualTo("reduction(+:s)"));
    }

    [Test]
    public async Task Json_response_format_without_schema_sends_format_json()
    {
        _server.EnqueueChat("{}");
        using var client = _server.CreateClient();

        await client.GetResponseAsync(Ask, new ChatOptions { ResponseFormat = ChatResponseFormat.Json });

        Assert.That(_server.LastChatRequest.FormatKind, Is.EqualTo("json"));
    }

    [Test]
    public async Task Every_request_streams_and_carries_num_ctx_and_keep_alive_even_without_chat_options()
    {
        _server.EnqueueChat("x");
        using var client = _server.CreateClient();

        await client.GetResponseAsync(Ask);

        var sent = _server.LastChatRequest;
        Assert.That(sent.Stream, Is.True);
        Assert.That(sent.NumCtx, Is.EqualTo(4096));
        Assert.That(sent.KeepAliveText, Is.EqualTo("5m"));
        Assert.That(sent.Format, Is.Null, "no format unless one was asked for");
        Assert.That(sent.Seed, Is.Null);
        Assert.That(sent.Model, Is.EqualTo("qwen2.5:1.5b"));
        Assert.That(sent.Messages, Is.EqualTo(new[] { new ChatMessageRecord("user", "Can this loop run in parallel?") }));
    }

    [Test]
    public async Task Chat_options_map_to_ollama_options_seed_temperature_top_p_and_num_predict()
    {
        _server.EnqueueChat("x");
        using var client = _server.CreateClient(_server.ClientOptions() with { ContextLength = 8192, KeepAlive = "30m" });

        await client.GetResponseAsync(Ask, new ChatOptions { Seed = 42, Temperature = 0.2f, TopP = 0.9f, MaxOutputTokens = 256, StopSequences = ["```"] });

        var sent = _server.LastChatRequest;
        Assert.That(sent.Seed, Is.EqualTo(42));
        Assert.That(sent.Temperature, Is.EqualTo(0.2).Within(1e-6));
        Assert.That(sent.TopP, Is.EqualTo(0.9).Within(1e-6));
        Assert.That(sent.NumPredict, Is.EqualTo(256));
        Assert.That(sent.NumCtx, Is.EqualTo(8192));
        Assert.That(sent.Option("stop")?.EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "```" }));
        Assert.That(sent.KeepAliveText, Is.EqualTo("30m"));
    }

    [Test]
    public async Task ModelId_and_additional_properties_override_model_num_ctx_and_keep_alive_per_request()
    {
        _server.EnqueueChat("x");
        using var client = _server.CreateClient();

        var response = await client.GetResponseAsync(Ask, new ChatOptions
        {
            ModelId = "gemma3:1b",
            AdditionalProperties = new() { [OllamaPropertyNames.NumCtx] = 16384, [OllamaPropertyNames.KeepAlive] = "-1" },
        });

        var sent = _server.LastChatRequest;
        Assert.That(sent.Model, Is.EqualTo("gemma3:1b"));
        Assert.That(sent.NumCtx, Is.EqualTo(16384));
        Assert.That(sent.KeepAliveText, Is.EqualTo("-1"));
        Assert.That(response.ModelId, Is.EqualTo("gemma3:1b"));
    }

    [Test]
    public async Task Keep_alive_given_in_seconds_is_sent_as_a_duration_with_its_unit()
    {
        _server.EnqueueChat("x");
        using var client = _server.CreateClient();

        await client.GetResponseAsync(Ask, new ChatOptions { AdditionalProperties = new() { [OllamaPropertyNames.KeepAlive] = 300 } });

        Assert.That(_server.LastChatRequest.KeepAliveText, Is.EqualTo("300s"));
    }

    [Test]
    public async Task A_done_line_without_a_message_still_ends_the_answer_with_its_usage()
    {
        _server.EnqueueChat(ScriptedReply.Stream(ScriptedLine.Content("ok"),
            ScriptedLine.Raw("""{"model":"qwen2.5:1.5b","done":true,"done_reason":"stop","prompt_eval_count":3,"eval_count":5}""")));
        using var client = _server.CreateClient();

        var response = await client.GetResponseAsync(Ask);

        Assert.That(response.Text, Is.EqualTo("ok"));
        Assert.That(response.FinishReason, Is.EqualTo(ChatFinishReason.Stop));
        Assert.That(response.Usage?.OutputTokenCount, Is.EqualTo(5));
    }

    [Test]
    public async Task Instructions_and_every_message_role_are_sent_in_order()
    {
        _server.EnqueueChat("x");
        using var client = _server.CreateClient();

        await client.GetResponseAsync(
            [new(ChatRole.System, "You are a compiler."), new(ChatRole.User, "q1"), new(ChatRole.Assistant, "a1"), new(ChatRole.User, "q2")],
            new ChatOptions { Instructions = "Answer in JSON." });

        Assert.That(_server.LastChatRequest.Messages, Is.EqualTo(new[]
        {
            new ChatMessageRecord("system", "Answer in JSON."),
            new ChatMessageRecord("system", "You are a compiler."),
            new ChatMessageRecord("user", "q1"),
            new ChatMessageRecord("assistant", "a1"),
            new ChatMessageRecord("user", "q2"),
        }));
    }

    // ---- broken streams -------------------------------------------------------------------------------------

    [Test]
    public void A_line_that_is_not_json_fails_with_PSLM3105_naming_the_line()
    {
        _server.EnqueueChat(ScriptedReply.MalformedLine("{\"model\": \"qwen", "fine ", "so far "));
        using var client = _server.CreateClient();

        var e = Assert.ThrowsAsync<OllamaException>(() => client.GetResponseAsync(Ask));

        Assert.That(e!.Code, Is.EqualTo(OllamaErrorCodes.MalformedStream));
        Assert.That(e.Message, Does.StartWith("PSLM3105:").And.Contain("line 3"));
        Assert.That(_server.ChatRequestCount, Is.EqualTo(1), "a malformed answer is not retried");
    }

    [Test]
    public void A_stream_that_ends_without_done_fails_with_PSLM3105()
    {
        _server.EnqueueChat(ScriptedReply.Truncated("{\"parallel\": ", "true"));
        using var client = _server.CreateClient();

        var e = Assert.ThrowsAsync<OllamaException>(() => client.GetResponseAsync(Ask));

        Assert.That(e!.Code, Is.EqualTo(OllamaErrorCodes.MalformedStream));
        Assert.That(e.Message, Does.Contain("without the final \"done\": true"));
    }

    [Test]
    public void A_connection_reset_mid_stream_fails_with_PSLM3105()
    {
        _server.EnqueueChat(ScriptedReply.DroppedMidStream("{\"parallel\": ", "true"));
        using var client = _server.CreateClient();

        var e = Assert.ThrowsAsync<OllamaException>(() => client.GetResponseAsync(Ask));

        Assert.That(e!.Code, Is.EqualTo(OllamaErrorCodes.MalformedStream));
    }

    [Test]
    public void Streaming_consumers_receive_the_chunks_before_a_truncation_fails_the_stream()
    {
        _server.EnqueueChat(ScriptedReply.Truncated("a", "b"));
        using var client = _server.CreateClient();

        var seen = new List<string>();
        var e = Assert.ThrowsAsync<OllamaException>(async () =>
        {
            await foreach (var u in client.GetStreamingResponseAsync(Ask)) seen.Add(u.Text);
        });

        Assert.That(e!.Code, Is.EqualTo(OllamaErrorCodes.MalformedStream));
        Assert.That(seen, Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public void An_error_line_inside_a_200_stream_fails_with_PSLM3104_and_the_server_text()
    {
        _server.EnqueueChat(ScriptedReply.ErrorMidStream("an error was encountered while running the model: CUDA error: out of memory", "The loop "));
        using var client = _server.CreateClient();

        var e = Assert.ThrowsAsync<OllamaException>(() => client.GetResponseAsync(Ask));

        Assert.That(e!.Code, Is.EqualTo(OllamaErrorCodes.StreamError));
        Assert.That(e.Message, Does.Contain("CUDA error: out of memory"));
        Assert.That(e.ServerError, Does.Contain("out of memory"));
        Assert.That(_server.ChatRequestCount, Is.EqualTo(1));
    }

    // ---- HTTP errors and retries ----------------------------------------------------------------------------

    [Test]
    public void Model_not_found_404_fails_with_PSLM3102_telling_to_ollama_pull_and_is_not_retried()
    {
        _server.EnqueueChat(ScriptedReply.ModelNotFound("qwen2.5:7b"), times: 3);
        using var client = _server.CreateClient(_server.ClientOptions("qwen2.5:7b"));

        var e = Assert.ThrowsAsync<OllamaException>(() => client.GetResponseAsync(Ask));

        Assert.That(e!.Code, Is.EqualTo(OllamaErrorCodes.ModelNotFound));
        Assert.That(e.Message, Does.Contain("`ollama pull qwen2.5:7b`"));
        Assert.That(e.Message, Does.Contain("model \"qwen2.5:7b\" not found, try pulling it first"));
        Assert.That(e.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.NotFound));
        Assert.That(_server.ChatRequestCount, Is.EqualTo(1));
    }

    [Test]
    public void A_server_that_rejects_unknown_models_is_reported_as_PSLM3102()
    {
        _server.RejectUnknownModels = true;
        using var client = _server.CreateClient(_server.ClientOptions("phi4:14b"));

        var e = Assert.ThrowsAsync<OllamaException>(() => client.GetResponseAsync(Ask));

        Assert.That(e!.Code, Is.EqualTo(OllamaErrorCodes.ModelNotFound));
        Assert.That(e.Model, Is.EqualTo("phi4:14b"));
    }

    [Test]
    public void Server_error_500_is_retried_MaxRetries_times_then_fails_with_PSLM3103_and_the_error_body()
    {
        _server.OnChat(_ => ScriptedReply.ServerError("llama runner process has terminated: signal: killed"));
        using var client = _server.CreateClient(_server.ClientOptions() with { MaxRetries = 2 });

        var e = Assert.ThrowsAsync<OllamaException>(() => client.GetResponseAsync(Ask));

        Assert.That(_server.ChatRequestCount, Is.EqualTo(3), "one attempt + MaxRetries");
        Assert.That(e!.Code, Is.EqualTo(OllamaErrorCodes.HttpError));
        Assert.That(e.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.InternalServerError));
        Assert.That(e.Attempts, Is.EqualTo(3));
        Assert.That(e.Message, Does.Contain("HTTP 500").And.Contain("llama runner process has terminated: signal: killed"));
    }

    [Test]
    public async Task A_transient_503_followed_by_an_answer_succeeds_on_retry()
    {
        _server.EnqueueChat(ScriptedReply.Error(503, "server busy, please try again.  maximum pending requests exceeded"));
        _server.EnqueueChat("recovered");
        using var client = _server.CreateClient();

        var response = await client.GetResponseAsync(Ask);

        Assert.That(response.Text, Is.EqualTo("recovered"));
        Assert.That(_server.ChatRequestCount, Is.EqualTo(2));
    }

    [Test]
    public void A_429_is_retried()
    {
        _server.OnChat(_ => ScriptedReply.Error(429, "too many requests"));
        using var client = _server.CreateClient(_server.ClientOptions() with { MaxRetries = 1 });

        var e = Assert.ThrowsAsync<OllamaException>(() => client.GetResponseAsync(Ask));

        Assert.That(e!.Code, Is.EqualTo(OllamaErrorCodes.HttpError));
        Assert.That(_server.ChatRequestCount, Is.EqualTo(2));
    }

    [Test]
    public void A_400_is_not_retried_and_fails_with_PSLM3103()
    {
        _server.OnChat(_ => ScriptedReply.Error(400, "invalid format: expected \"json\" or a JSON schema"));
        using var client = _server.CreateClient();

        var e = Assert.ThrowsAsync<OllamaException>(() => client.GetResponseAsync(Ask));

        Assert.That(e!.Code, Is.EqualTo(OllamaErrorCodes.HttpError));
        Assert.That(e.Message, Does.Contain("invalid format"));
        Assert.That(_server.ChatRequestCount, Is.EqualTo(1));
    }

    [Test]
    public void A_non_ollama_404_is_PSLM3103_with_a_hint_about_the_endpoint()
    {
        _server.OnChat(_ => ScriptedReply.Status(404, "<html>Not Found</html>", "text/html"));
        using var client = _server.CreateClient();

        var e = Assert.ThrowsAsync<OllamaException>(() => client.GetResponseAsync(Ask));

        Assert.That(e!.Code, Is.EqualTo(OllamaErrorCodes.HttpError));
        Assert.That(e.Message, Does.Contain("an Ollama server"));
    }

    [Test]
    public void Connection_refused_fails_quickly_with_PSLM3101_and_says_to_start_ollama()
    {
        using var client = new OllamaChatClient(new OllamaClientOptions { Endpoint = FakeOllamaServer.UnusedEndpoint() });

        var e = Assert.ThrowsAsync<OllamaException>(() => client.GetResponseAsync(Ask));

        // No wall-clock bound: what makes it quick (a refused connection is not a timeout, two short back-offs) is the
        // code and the attempt count below.
        Assert.That(e!.Code, Is.EqualTo(OllamaErrorCodes.ServerUnreachable));
        Assert.That(e.Attempts, Is.EqualTo(3), "connection failures are retried");
        Assert.That(e.Message, Does.Contain("`ollama serve`").And.Contain("OLLAMA_HOST").And.Contain("ParaSlmEndpoint"));
        Assert.That(e.IsTransient, Is.True);
    }

    // ---- timeouts and cancellation --------------------------------------------------------------------------

    [Test]
    public void A_server_that_never_answers_times_out_with_PSLM3106_after_RequestTimeout_and_is_not_retried()
    {
        _server.OnChat(_ => ScriptedReply.NeverAnswer());
        using var client = _server.CreateClient(_server.ClientOptions() with { RequestTimeout = TimeSpan.FromSeconds(1) });
        var clock = Stopwatch.StartNew();

        var e = Assert.ThrowsAsync<OllamaException>(() => client.GetResponseAsync(Ask));

        // The 1 s timeout applies, not the 60 s default: the message names it, and the wait lasted at least that long
        // (a lower bound only; a loaded machine may take longer).
        Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(0.9)));
        Assert.That(e!.Code, Is.EqualTo(OllamaErrorCodes.Timeout));
        Assert.That(e.Message, Does.Contain("timed out after 1 s").And.Contain("raise the timeout (ParaSlmModelTimeout in a build, --timeout on the command line)"));
        Assert.That(_server.ChatRequestCount, Is.EqualTo(1));
    }

    [Test]
    public void A_stream_that_stalls_midway_times_out_with_PSLM3106()
    {
        _server.EnqueueChat(ScriptedReply.Truncated("The loop ") with { End = StreamEnd.Hang });
        using var client = _server.CreateClient(_server.ClientOptions() with { RequestTimeout = TimeSpan.FromSeconds(1) });

        var e = Assert.ThrowsAsync<OllamaException>(() => client.GetResponseAsync(Ask));

        Assert.That(e!.Code, Is.EqualTo(OllamaErrorCodes.Timeout));
    }

    [Test]
    public void Caller_cancellation_while_waiting_throws_OperationCanceledException_not_a_timeout()
    {
        _server.OnChat(_ => ScriptedReply.NeverAnswer());
        using var client = _server.CreateClient();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var e = Assert.CatchAsync<OperationCanceledException>(() => client.GetResponseAsync(Ask, cancellationToken: cts.Token));

        // The caller's token ended the wait (a timeout would be an OllamaException, PSLM3106), with no clock involved.
        Assert.That(e!.CancellationToken, Is.EqualTo(cts.Token));
        Assert.That(_server.ChatRequestCount, Is.EqualTo(1), "cancellation is never retried");
    }

    [Test]
    public void Caller_cancellation_mid_stream_throws_OperationCanceledException()
    {
        _server.EnqueueChat(ScriptedReply.Chunks("a", "b", "c", "d", "e", "f").WithLineDelay(TimeSpan.FromMilliseconds(150)));
        using var client = _server.CreateClient();
        using var cts = new CancellationTokenSource();

        Assert.CatchAsync<OperationCanceledException>(async () =>
        {
            await foreach (var u in client.GetStreamingResponseAsync(Ask, cancellationToken: cts.Token))
            {
                if (u.Text == "b") await cts.CancelAsync();
            }
        });
    }

    [Test]
    public void Caller_cancellation_during_retry_backoff_throws_OperationCanceledException()
    {
        _server.OnChat(_ => ScriptedReply.ServerError());
        using var client = _server.CreateClient(_server.ClientOptions() with { RetryBackoff = TimeSpan.FromSeconds(10), MaxRetryDelay = TimeSpan.FromSeconds(10) });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        Assert.CatchAsync<OperationCanceledException>(() => client.GetResponseAsync(Ask, cancellationToken: cts.Token));
        Assert.That(_server.ChatRequestCount, Is.EqualTo(1));
    }

    // ---- models ---------------------------------------------------------------------------------------------

    [Test]
    public async Task ListModels_returns_names_digests_sizes_and_details_from_api_tags()
    {
        using var client = _server.CreateClient();

        var models = await client.ListModelsAsync();

        Assert.That(models.Select(m => m.Name), Is.EqualTo(new[] { "qwen2.5:1.5b", "llama3.2:1b", "gemma3:1b" }));
        var qwen = models[0];
        Assert.That(qwen.Digest, Is.EqualTo(FakeModel.Qwen25_1_5B.Digest).And.Length.EqualTo(64));
        Assert.That(qwen.Size, Is.EqualTo(986_061_892));
        Assert.That(qwen.ModifiedAt, Is.EqualTo(FakeModel.Qwen25_1_5B.ModifiedAt), "nanosecond timestamps parse");
        Assert.That(qwen.Details, Is.EqualTo(new OllamaModelDetails("qwen2", "1.5B", "Q4_K_M", "gguf")));
        Assert.That(models.Select(m => m.Digest).Distinct().Count(), Is.EqualTo(3));
    }

    [Test]
    public async Task ListModels_shows_a_new_digest_after_a_model_is_pulled_again()
    {
        using var client = _server.CreateClient();
        var before = (await client.FindModelAsync("qwen2.5:1.5b"))!.Digest;

        _server.Models[0] = _server.Models[0].Repulled();
        var after = (await client.FindModelAsync("qwen2.5:1.5b"))!.Digest;

        Assert.That(after, Is.Not.EqualTo(before));
    }

    [Test]
    public async Task FindModel_resolves_an_untagged_name_to_latest_and_returns_null_when_missing()
    {
        _server.Models.Add(FakeModel.Create("smollm2:latest"));
        using var client = _server.CreateClient();

        Assert.That((await client.FindModelAsync("smollm2"))?.Name, Is.EqualTo("smollm2:latest"));
        Assert.That(await client.FindModelAsync("qwen2.5:7b"), Is.Null);
    }

    [Test]
    public async Task ShowModel_returns_family_parameter_size_quantization_template_and_context_length()
    {
        using var client = _server.CreateClient();

        var show = await client.ShowModelAsync("llama3.2:1b");

        Assert.That(show.Model, Is.EqualTo("llama3.2:1b"));
        Assert.That(show.Family, Is.EqualTo("llama"));
        Assert.That(show.ParameterSize, Is.EqualTo("1.2B"));
        Assert.That(show.QuantizationLevel, Is.EqualTo("Q4_K_M"));
        Assert.That(show.ContextLength, Is.EqualTo(131072));
        Assert.That(show.Template, Does.Contain(".Prompt"));
        Assert.That(show.Capabilities, Does.Contain("completion"));
        var body = _server.Requests.Single(r => r.Path == FakeOllamaServer.ShowPath).Json!.Value;
        Assert.That(body.GetProperty("model").GetString(), Is.EqualTo("llama3.2:1b"));
    }

    [Test]
    public void ShowModel_of_a_missing_model_fails_with_PSLM3102()
    {
        using var client = _server.CreateClient();

        var e = Assert.ThrowsAsync<OllamaException>(() => client.ShowModelAsync("qwen2.5:7b"));

        Assert.That(e!.Code, Is.EqualTo(OllamaErrorCodes.ModelNotFound));
        Assert.That(e.Message, Does.Contain("ollama pull qwen2.5:7b"));
    }

    [Test]
    public void A_tags_answer_that_is_not_ollamas_fails_with_PSLM3105()
    {
        _server.Enqueue(FakeOllamaServer.TagsPath, ScriptedReply.JsonBody("[1,2,3]"));
        using var client = _server.CreateClient();

        var e = Assert.ThrowsAsync<OllamaException>(() => client.ListModelsAsync());

        Assert.That(e!.Code, Is.EqualTo(OllamaErrorCodes.MalformedStream));
    }

    // ---- IChatClient plumbing -------------------------------------------------------------------------------

    [Test]
    public void GetService_returns_metadata_naming_ollama_the_endpoint_and_the_model()
    {
        using var client = _server.CreateClient(_server.ClientOptions("llama3.2:1b"));
        IChatClient chat = client;

        var metadata = chat.GetService<ChatClientMetadata>();

        Assert.That(metadata?.ProviderName, Is.EqualTo("ollama"));
        Assert.That(metadata?.ProviderUri, Is.EqualTo(_server.Endpoint));
        Assert.That(metadata?.DefaultModelId, Is.EqualTo("llama3.2:1b"));
        Assert.That(chat.GetService<OllamaChatClient>(), Is.SameAs(client));
        Assert.That(chat.GetService<ChatClientMetadata>("some-key"), Is.Null);
    }

    [Test]
    public async Task Disposing_the_client_leaves_a_caller_supplied_handler_usable()
    {
        using var handler = new SocketsHttpHandler();
        _server.EnqueueChat("one");
        _server.EnqueueChat("two");

        using (var first = new OllamaChatClient(handler, _server.ClientOptions()))
        {
            await first.GetResponseAsync(Ask);
        }
        using var second = new OllamaChatClient(handler, _server.ClientOptions());
        var response = await second.GetResponseAsync(Ask);

        Assert.That(response.Text, Is.EqualTo("two"));
    }

    [Test]
    public void An_endpoint_with_a_path_prefix_keeps_the_prefix()
    {
        using var client = _server.CreateClient();
        using var prefixed = new OllamaChatClient(client.Options with { Endpoint = new Uri(_server.Endpoint, "ollama") });

        Assert.ThrowsAsync<OllamaException>(() => prefixed.ListModelsAsync());
        Assert.That(_server.Requests.Single().Path, Is.EqualTo("/ollama/api/tags"));
    }

    [Test]
    public void Tool_definitions_are_rejected_rather_than_silently_dropped()
    {
        using var client = _server.CreateClient();
        var options = new ChatOptions { Tools = [AIFunctionFactory.Create(() => 1, "one")] };

        Assert.ThrowsAsync<NotSupportedException>(() => client.GetResponseAsync(Ask, options));
        Assert.That(_server.ChatRequestCount, Is.Zero);
    }
}
