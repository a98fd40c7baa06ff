namespace ImageHub.Mesh;

/// <summary>An input of the mesh configuration is missing or says something Consul cannot express.</summary>
public sealed class MeshConfigException(string message) : Exception(message);
