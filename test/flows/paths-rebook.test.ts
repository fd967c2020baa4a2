import { walkPaths } from "./paths-walk.ts";

walkPaths("rebook");
