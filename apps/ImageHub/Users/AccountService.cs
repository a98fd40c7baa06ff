using ImageHub.Web.Auth;
using ImageHub.Web.Options;
using ImageHub.Web.Plans;
using ImageHub.Web.Tenancy;
using Microsoft.Extensions.Options;

namespace ImageHub.Web.Users;

/// <summary>A session: the token and what it says.</summary>
public sealed record IssuedSession(string Token, SessionClaims Claims, User User);

/// <summary>The result of an account operation: a session, or an error with its HTTP status.</summary>
public sealed record AccountResult(IssuedSession? Session, int Status, string? Error, string? Warning = null)
{
    public static AccountResult Fail(int status, string error) => new(null, status, error);
}

/// <summary>Sign-up, sign-in and plan changes — shared by the JSON API and the HTML pages.</summary>
public sealed class AccountService(
    UserStore users, SessionToken tokens, IQuotaPlanSync quota, TimeProvider clock,
    IOptions<ImageHubOptions> options, ILogger<AccountService> logger)
{
    public const string PlanNotSyncedWarning =
        "Your account is ready, but the rate limiter has not learned your plan yet; pulls may be limited as Personal for now.";

    private TimeSpan Lifetime => TimeSpan.FromMinutes(options.Value.Auth.SessionMinutes);

    public async Task<AccountResult> SignUpAsync(Tenant tenant, string? username, string? password, string? planId, string? displayName, CancellationToken ct)
    {
        if (AccountRules.CheckUsername(username) is { } usernameError) return AccountResult.Fail(StatusCodes.Status400BadRequest, usernameError);
        if (AccountRules.CheckPassword(password) is { } passwordError) return AccountResult.Fail(StatusCodes.Status400BadRequest, passwordError);
        var plan = string.IsNullOrEmpty(planId) ? PlanCatalog.Default : PlanCatalog.Find(planId);
        if (plan is null) return AccountResult.Fail(StatusCodes.Status400BadRequest, $"Unknown plan '{planId}'. Choose one of: {PlanCatalog.Choices}.");

        var user = new User(tenant.Slug, username!, AccountRules.CleanDisplayName(displayName, username!),
            PasswordHasher.Hash(password!), plan.Id, clock.GetUtcNow());
        if (!await users.TryCreateAsync(user, ct))
            return AccountResult.Fail(StatusCodes.Status409Conflict, $"The username '{username}' is already taken in {tenant.Name}.");

        string? warning = null;
        try
        {
            await quota.SetPlanAsync(tenant.Slug, user.Username, plan.Id, ct);
        }
        catch (QuotaPlanSyncException e)
        {
            // The account is created either way: losing a sign-up over a quota hiccup would be worse.
            // Until the quota service learns the plan it counts the user as Personal.
            logger.LogWarning(e, "Sign-up of {Tenant}/{User}: the quota service did not take plan {Plan}", tenant.Slug, user.Username, plan.Id);
            warning = PlanNotSyncedWarning;
        }
        return new AccountResult(Issue(user), StatusCodes.Status201Created, null, warning);
    }

    public async Task<AccountResult> SignInAsync(Tenant tenant, string? username, string? password, CancellationToken ct)
    {
        var user = string.IsNullOrEmpty(username) ? null : await users.FindAsync(tenant.Slug, username, ct);
        // Verify even for an unknown user, so timing does not reveal which usernames exist.
        var ok = PasswordHasher.Verify(password ?? "", user?.PasswordHash);
        return ok && user is not null
            ? new AccountResult(Issue(user), StatusCodes.Status200OK, null)
            : AccountResult.Fail(StatusCodes.Status401Unauthorized, "Wrong username or password.");
    }

    public async Task<AccountResult> ChangePlanAsync(User user, string? planId, CancellationToken ct)
    {
        var plan = PlanCatalog.Find(planId);
        if (plan is null) return AccountResult.Fail(StatusCodes.Status400BadRequest, $"Unknown plan '{planId}'. Choose one of: {PlanCatalog.Choices}.");
        try
        {
            // The quota service first: if it refuses, nothing changes and the user is told.
            await quota.SetPlanAsync(user.Tenant, user.Username, plan.Id, ct);
        }
        catch (QuotaPlanSyncException e)
        {
            logger.LogWarning(e, "Plan change of {Tenant}/{User} to {Plan} failed at the quota service", user.Tenant, user.Username, plan.Id);
            return AccountResult.Fail(StatusCodes.Status502BadGateway,
                $"Your plan is still {PlanCatalog.Find(user.Plan)?.Name ?? user.Plan}: the quota service could not be updated. Please try again in a moment.");
        }
        await users.SetPlanAsync(user.Tenant, user.Username, plan.Id, ct);
        return new AccountResult(Issue(user with { Plan = plan.Id }), StatusCodes.Status200OK, null);
    }

    private IssuedSession Issue(User user)
    {
        var claims = tokens.CreateClaims(user.Username, user.DisplayName, user.Tenant, user.Plan, Lifetime);
        return new IssuedSession(tokens.Issue(claims), claims, user);
    }
}
