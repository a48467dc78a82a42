/**
 * The actions the results browser calls: the action library's own functions, the same code
 * the `tag`, `note`, `archive`, `delete` and `gc` commands run.
 */
export {
  addTags,
  type Annotations,
  readAnnotations,
  removeTags,
  setNote,
} from "../run_folder/annotations.ts";
export { archiveRun, deleteRun, unarchiveRun } from "../run_folder/archive.ts";
export { collectGarbage, type GcReport } from "../cache/gc.ts";
