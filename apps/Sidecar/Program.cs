using ImageHub.Sidecar.Hosting;

// Envoy-style entry point: dotnet run --project apps/Sidecar -- -c infra/envoy/imagehub-sidecar.yaml
return await SidecarProgram.RunAsync(args);
