/** A connection URL fit for messages and logs: the password, wherever it was given, removed. */
export function postgresLocation(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // An unparseable URL may still hold a password; show nothing of it.
    return 'postgres (connection URL not shown)';
  }
  parsed.password = '';
  for (const key of [...parsed.searchParams.keys()]) {
    if (/password/i.test(key)) parsed.searchParams.delete(key);
  }
  return parsed.toString();
}
