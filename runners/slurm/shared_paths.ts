/**
 * Trials on other nodes read and write the cache and the results folder: a folder only this
 * machine sees (/tmp, a tmpfs) works on a one-node cluster and silently splits the state on
 * a real one. So warn, naming the option.
 */
import { resolve } from "node:path";

const LOCAL_PREFIXES = ["/tmp", "/var/tmp", "/dev/shm", "/run"];
const LOCAL_FILE_SYSTEMS = new Set(["tmpfs", "ramfs"]);

/** Why this path is local to this machine, or undefined when it may be shared. */
export function localOnlyReason(path: string, mounts = readMounts()): string | undefined {
  const absolute = resolve(path);
  const under = (prefix: string) => absolute === prefix || absolute.startsWith(`${prefix}/`);
  const prefix = LOCAL_PREFIXES.find(under);
  if (prefix) return `it is under ${prefix}, which is local to each machine`;
  // The mount holding the path: the longest mount point it lies under.
  let best: { point: string; type: string } | undefined;
  for (const mount of mounts) {
    if (
      (mount.point === "/" || under(mount.point)) && mount.point.length > (best?.point.length ?? -1)
    ) {
      best = mount;
    }
  }
  if (best && LOCAL_FILE_SYSTEMS.has(best.type)) {
    return `it is on a ${best.type} mounted at ${best.point}, in this machine's memory`;
  }
  return undefined;
}

function readMounts(): Array<{ point: string; type: string }> {
  try {
    return Deno.readTextFileSync("/proc/mounts").split("\n").filter(Boolean).map((line) => {
      const [, point, type] = line.split(" ");
      return { point: point.replaceAll("\\040", " "), type };
    });
  } catch {
    return [];
  }
}

/** The warnings for folders the trials on other nodes must see ([] when all look shared). */
export function sharedPathWarnings(folders: Array<{ option: string; path: string }>): string[] {
  return folders.flatMap(({ option, path }) => {
    const why = localOnlyReason(path);
    return why
      ? [
        `warning: ${option} ${path}: ${why}; other nodes of the cluster will not see it ` +
        "(fine on a one-node cluster; use a folder on the shared file system otherwise)",
      ]
      : [];
  });
}
