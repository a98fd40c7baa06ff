# ImageHub web app: SDK build stage -> ASP.NET runtime stage, non-root, health-checked.
# Build context: the repository root (docker-compose.yml sets it).

FROM mcr.microsoft.com/dotnet/sdk:10.0.401 AS build
WORKDIR /src
# Restore first, from the project files alone, so code edits reuse the restore layer.
COPY Directory.Build.props Directory.Packages.props ./
COPY apps/ImageHub/ImageHub.csproj apps/ImageHub/
RUN dotnet restore apps/ImageHub/ImageHub.csproj
COPY apps/ImageHub/ apps/ImageHub/
RUN dotnet publish apps/ImageHub/ImageHub.csproj --no-restore -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0.12 AS runtime
COPY infra/docker/http-ok /usr/local/bin/http-ok
# The data volume is created from this folder, so it starts out owned by the app user.
RUN mkdir /data && chown "$APP_UID" /data
WORKDIR /app
COPY --from=build /app ./
USER $APP_UID
ENV ASPNETCORE_URLS=http://127.0.0.1:5080 \
    ImageHub__DataDirectory=/data
EXPOSE 5080
HEALTHCHECK --interval=5s --timeout=3s --start-period=20s --retries=10 CMD ["http-ok", "5080", "/healthz"]
ENTRYPOINT ["dotnet", "ImageHub.dll"]
