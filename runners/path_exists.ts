/** Existence checks that answer false for anything that cannot be stat'ed (gone, unreadable). */

/** Whether `path` names something (a symbolic link is followed). */
export function pathExists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Whether `path` is a regular file (a symbolic link is followed). */
export function fileExists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}
