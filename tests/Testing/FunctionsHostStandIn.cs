using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;

namespace Spark.Serverless.Testing;

/// <summary>One invocation the stand-in made: the function, the HTTP status and the handler's answer.</summary>
/// <param name="Function">The function (path) posted to.</param>
/// <param name="Status">The HTTP status.</param>
/// <param name="Response">The body, parsed.</param>
public sealed record HandlerInvocation(string Function, int Status, JsonNode? Response);

/// <summary>
/// Plays the Azure Functions host's part for a queue-triggered custom handler, which tests need because Core Tools
/// cannot be installed here: receive a message, post the invocation payload (<c>Data</c> by binding name,
/// <c>Metadata</c> with the queue trigger's fields) to the handler, send the named output binding's value to its
/// queue, and delete the message only when the handler answered 2xx (otherwise make it visible again for a retry).
/// The queues, the messages and the handler processes are all real.
/// </summary>
public sealed class FunctionsHostStandIn
{
    private readonly List<HandlerInvocation> _invocations = [];

    /// <summary>Every invocation so far.</summary>
    public IReadOnlyList<HandlerInvocation> Invocations { get { lock (_invocations) return [.. _invocations]; } }

    /// <summary>Delivers up to <paramref name="max"/> waiting messages of <paramref name="queue"/>, in parallel; returns how many.</summary>
    /// <param name="queue">The trigger's queue.</param>
    /// <param name="handler">A client for the handler's port.</param>
    /// <param name="function">The function's name, the path posted to.</param>
    /// <param name="binding">The trigger's binding name.</param>
    /// <param name="output">The queue output binding, if the function has one: its name and its queue.</param>
    /// <param name="max">Messages taken at once (the host's <c>batchSize</c>).</param>
    public async Task<int> DeliverAsync(QueueClient queue, HttpClient handler, string function, string binding, (string Binding, QueueClient Queue)? output = null, int max = 16)
    {
        var messages = (await queue.ReceiveMessagesAsync(max, TimeSpan.FromMinutes(5))).Value;
        await Task.WhenAll(messages.Select(async message =>
        {
            var payload = new JsonObject
            {
                ["Data"] = new JsonObject { [binding] = message.Body.ToString() },
                ["Metadata"] = new JsonObject
                {
                    ["DequeueCount"] = message.DequeueCount,
                    ["Id"] = message.MessageId,
                    ["PopReceipt"] = message.PopReceipt,
                    ["InsertionTime"] = message.InsertedOn?.ToString("O"),
                    ["ExpirationTime"] = message.ExpiresOn?.ToString("O"),
                    ["NextVisibleTime"] = message.NextVisibleOn?.ToString("O"),
                    ["sys"] = new JsonObject { ["MethodName"] = function, ["UtcNow"] = DateTimeOffset.UtcNow.ToString("O"), ["RandGuid"] = Guid.NewGuid().ToString() },
                },
            };
            var answer = await InvokeAsync(handler, function, payload);
            if (answer.Status is >= 200 and < 300)
            {
                if (output is { } o && answer.Response?["Outputs"]?[o.Binding] is JsonValue value)
                    await o.Queue.SendMessageAsync(value.GetValue<string>());
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero);
            }
        }));
        return messages.Length;
    }

    /// <summary>Fires a timer-triggered function once.</summary>
    public Task<HandlerInvocation> FireTimerAsync(HttpClient handler, string function) =>
        InvokeAsync(handler, function, new JsonObject
        {
            ["Data"] = new JsonObject { ["timer"] = new JsonObject { ["IsPastDue"] = false } },
            ["Metadata"] = new JsonObject { ["sys"] = new JsonObject { ["MethodName"] = function, ["UtcNow"] = DateTimeOffset.UtcNow.ToString("O") } },
        });

    /// <summary>Posts a payload to a function and records the answer.</summary>
    public async Task<HandlerInvocation> InvokeAsync(HttpClient handler, string function, JsonNode payload)
    {
        using var response = await handler.PostAsJsonAsync(function, payload);
        string body = await response.Content.ReadAsStringAsync();
        var invocation = new HandlerInvocation(function, (int)response.StatusCode, body.Length == 0 ? null : JsonNode.Parse(body));
        lock (_invocations) _invocations.Add(invocation);
        return invocation;
    }
}
