/** Quotes a value for a POSIX shell: always one word, nothing in it expanded. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Fills `{name}` placeholders of a shell command template with shell-quoted values, so a
 * version or a URL can never inject a command. Only the names given are replaced, and never
 * after a `$`, so `${HOME}` and shell brace expansion stay as written.
 */
export function fillShellTemplate(
  template: string,
  values: Readonly<Record<string, string>>,
): string {
  return template.replace(/(\$?)\{([a-z]+)\}/g, (all, dollar: string, name: string) => {
    const value = values[name];
    return dollar === '' && value !== undefined ? shellQuote(value) : all;
  });
}

/** Fills `{name}` placeholders with raw values: for URLs and environment values, not shells. */
export function fillTextTemplate(
  template: string,
  values: Readonly<Record<string, string>>,
): string {
  return template.replace(/(\$?)\{([a-z]+)\}/g, (all, dollar: string, name: string) => {
    const value = values[name];
    return dollar === '' && value !== undefined ? value : all;
  });
}
