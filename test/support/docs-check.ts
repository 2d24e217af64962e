// The documentation check of settings: which of `names` README.md or .env.example does not list.
export function undocumented(names: readonly string[], readme: string, example: string): string[] {
  return names.filter((name) => !readme.includes(`\`${name}\``) || !new RegExp(`^${name}=`, 'm').test(example));
}
