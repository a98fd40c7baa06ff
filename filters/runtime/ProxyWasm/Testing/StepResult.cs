using System.Text;

namespace ImageHub.ProxyWasm.Testing;

/// <summary>
/// What one step of an exchange came to. A paused step (the filter stopped and waits for
/// something, e.g. a callout) completes when the test answers; read it again then.
/// </summary>
public sealed class StepResult
{
    // The host only hands out result- or Task-backed ValueTasks, which may be read repeatedly.
    private readonly ValueTask<FilterResult> _outcome;

    internal StepResult(ValueTask<FilterResult> outcome) => _outcome = outcome;

    /// <summary>True while the filter holds the stream.</summary>
    public bool IsPaused => !_outcome.IsCompleted;

    /// <summary>What the embedder would do now; throws while paused.</summary>
    public FilterAction Action => Outcome.Action;

    public LocalReply? LocalReply => Outcome.LocalReply;

    /// <summary>The body passed on after a body step that continued.</summary>
    public byte[] Body => Outcome.Body.ToArray();

    public string BodyText => Encoding.UTF8.GetString(Outcome.Body.Span);

    private FilterResult Outcome => _outcome.IsCompleted
        ? _outcome.Result
        : throw new InvalidOperationException("the filter paused the stream and has not continued it yet (answer its callouts or advance time)");

    public override string ToString() => IsPaused ? "Paused" : Action == FilterAction.LocalReply ? $"LocalReply {LocalReply!.StatusCode}" : Action.ToString();
}
