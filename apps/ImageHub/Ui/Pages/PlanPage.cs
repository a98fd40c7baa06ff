using ImageHub.Web.Plans;
using ImageHub.Web.Users;

namespace ImageHub.Web.Ui.Pages;

public static class PlanPage
{
    public static IResult Render(HttpContext context, User user, string? error = null, string? notice = null, int status = StatusCodes.Status200OK)
    {
        var cards = Html.Join(PlanCatalog.All.Select(plan =>
        {
            var current = plan.Id == user.Plan;
            var action = current
                ? Html.Of($"""<span class="current-plan" data-testid="current-plan">Your plan</span>""")
                : Html.Of($"""
                    <form method="post" action="/plan">
                      <input type="hidden" name="plan" value="{plan.Id}">
                      <button type="submit" class="button" data-testid="choose-plan-{plan.Id}" id="choose-plan-{plan.Id}">Switch to {plan.Name}</button>
                    </form>
                    """);
            return Html.Of($"""
                <div class="card plan-card plan-{plan.Id}{(current ? " is-current" : "")}" data-testid="plan-card" data-plan="{plan.Id}">
                  <h2>{plan.Name}</h2>
                  <p class="plan-limit"><span class="big">{plan.LimitPerMinute}</span> pulls / minute</p>
                  <p class="muted">{plan.Blurb}</p>
                  {action}
                </div>
                """);
        }));
        return Layout.Page(context, "Plan", Html.Of($"""
            <section class="page-head"><div><h1>Plan</h1>
              <p class="muted">The rate limiter in front of ImageHub counts every pull against your plan's per-minute limit.</p></div></section>
            {Layout.Alert(notice, "success", "plan-notice")}
            {Layout.Alert(error, "error", "plan-error")}
            <div class="plan-grid">{cards}</div>
            """), status);
    }
}
