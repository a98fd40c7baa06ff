// Remembers users who are over their limit in the host's shared data (visible to every VM
// replica), so that until their window resets the filter answers 429 itself instead of
// calling the quota service for every retry of an abusive client.
// The key holds the token's plan too: a plan change comes with a new token, and the new plan
// deserves a fresh decision from the quota service rather than the old plan's block.
// Value: "<deadline in ms since the epoch> <limit>". Keys are never deleted (the ABI has no
// delete); an expired entry is simply ignored and overwritten at the next denial.

import { sharedDataGet, sharedDataSet } from "../../shared/host";

export class OverLimit {
  deadlineMs: i64 = 0;
  limit: i64 = 0;
}

function keyOf(tenant: string, user: string, plan: string): string {
  return "imagehub.ratelimit.over." + tenant + "/" + user + "/" + plan;
}

export function rememberOverLimit(tenant: string, user: string, plan: string, deadlineMs: i64, limit: i64): void {
  sharedDataSet(keyOf(tenant, user, plan), String.UTF8.encode(deadlineMs.toString() + " " + limit.toString()));
}

/** The entry when the user is still over the limit at `nowMs`, else null. */
export function activeOverLimit(tenant: string, user: string, plan: string, nowMs: i64): OverLimit | null {
  let value = sharedDataGet(keyOf(tenant, user, plan));
  if (value === null || value.byteLength == 0 || value.byteLength > 64) return null;
  let text = String.UTF8.decode(value);
  let space = text.indexOf(" ");
  if (space <= 0) return null;
  let entry = new OverLimit();
  entry.deadlineMs = I64.parseInt(text.substring(0, space));
  entry.limit = I64.parseInt(text.substring(space + 1));
  if (entry.deadlineMs <= nowMs) return null;
  return entry;
}
