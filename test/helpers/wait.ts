/** Waiting for something a test can observe (a journal line, a queue state, a file) instead of sleeping. */

/**
 * Resolves once `test` holds, checking every 20 ms; rejects after `timeoutMs` naming `what`.
 * The timeout only bounds a hang: the wait ends as soon as the state is reached.
 * @example
 * ```ts
 * await waitFor(() => fitLines(journal).length > 0, 20_000, 'the first journaled fit');
 * await waitFor(async () => (await queue.getWaitingCount()) === 1, 10_000, 'the task to be queued');
 * ```
 */
export async function waitFor(test: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
