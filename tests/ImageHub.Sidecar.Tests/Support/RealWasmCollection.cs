namespace ImageHub.Sidecar.Tests.Support;

/// <summary>
/// Test classes that compile real .wasm run one after another: compiling is CPU-heavy, and
/// several at once on a small machine only make each slower.
/// </summary>
[CollectionDefinition("real wasm")]
public sealed class RealWasmCollection;
