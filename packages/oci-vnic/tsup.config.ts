import { defineConfig } from "tsup";
import { libraryBuilds } from "./builds.js";

export default defineConfig(libraryBuilds());
