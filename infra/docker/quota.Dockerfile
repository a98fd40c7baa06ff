# Quota service: SDK build stage -> ASP.NET runtime stage, non-root, health-checked.
# Build context: the repository root (docker-compose.yml sets it).

FROM mcr.microsoft.com/dotnet/sdk:10.0.401 AS build
WORKDIR /src
# Restore first, from the project files alone, so code edits reuse the restore layer.
COPY Directory.Build.props Directory.Packages.props ./
COPY apps/QuotaService/QuotaService.csproj apps/QuotaService/
RUN dotnet restore apps/QuotaService/QuotaService.csproj
COPY apps/QuotaService/ apps/QuotaService/
RUN dotnet publish apps/QuotaService/QuotaService.csproj --no-restore -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0.12 AS runtime
COPY infra/docker/http-ok /usr/local/bin/http-ok
WORKDIR /app
COPY --from=build /app ./
USER $APP_UID
ENV ASPNETCORE_URLS=http://127.0.0.1:5090
EXPOSE 5090
HEALTHCHECK --interval=5s --timeout=3s --start-period=20s --retries=10 CMD ["http-ok", "5090", "/healthz"]
ENTRYPOINT ["dotnet", "QuotaService.dll"]
