import * as z from 'zod/mini';

/**
 * A check that lets `ignored` fields through a strict top-level object: the object reports them among its
 * unrecognized keys, and this takes them out of that report (and the report out, when nothing else is in it).
 * They are not optional fields of the object because zod visits every field of a shape on every parse,
 * present or not, and these are almost never sent. The check runs only when no other problem stopped the parse.
 */
export function allowIgnoredFields(ignored: Readonly<Record<string, string>>) {
  return z.check<Record<string, unknown>>((payload) => {
    const issues = payload.issues;
    for (let i = 0; i < issues.length; i++) {
      const issue = issues[i];
      if (issue?.code !== 'unrecognized_keys' || (issue.path !== undefined && issue.path.length > 0)) continue;
      const keys = issue.keys.filter((key) => !Object.hasOwn(ignored, key));
      if (keys.length > 0) issues[i] = { ...issue, keys };
      else issues.splice(i, 1);
      return;
    }
  });
}
