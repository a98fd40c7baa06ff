using ImageHub.Deployment;
using ImageHub.Deployment.Verify;

// imagehub-local demo                → the README's demo on fixed ports, until Ctrl-C
// imagehub-local verify              → start a deployment on free ports, check the headers, stop it
// imagehub-local verify --url URL    → check a running deployment (e.g. the compose demo)
return args switch
{
    ["demo"] => await Commands.DemoAsync(),
    ["verify"] => await Commands.VerifyAsync(null),
    ["verify", "--url", var url] => await Commands.VerifyAsync(url),
    _ => Commands.Usage(),
};
