/** The neighbourhood models: ItemKNN, UserKNN (Dacrema et al. 2019) and RP3beta (Paudel et al. 2017). */
export { itemknn } from "./itemknn.ts";
export { userknn } from "./userknn.ts";
export { rp3beta } from "./rp3beta.ts";
export { knnConfigSchema, rp3betaConfigSchema } from "./config.ts";
