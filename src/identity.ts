/**
 * Who is talking: the Teams user id used for requesters, roles and conversation references. Structural types only,
 * so every feature (and both hosts) can use it without importing an SDK.
 */
export interface ActivityLike {
  activity: { from?: { id?: string; aadObjectId?: string; name?: string } | null };
}

/** Teams user id used for the requester: the Entra object id when present, else the channel user id. */
export function userIdOf(context: ActivityLike): string {
  const from = context.activity.from ?? { id: 'unknown' };
  return from.aadObjectId || from.id || 'unknown';
}
