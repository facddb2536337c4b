// TypeDoc plugin: members our classes inherit from the platform (Error's `message`, `stack`,
// `cause`, from TypeScript's lib or @types/node) are left out of the API pages; they are
// documented by Node and TypeScript, and their sources are not in this repository.
import { Converter, ReflectionKind } from "typedoc";

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    const project = context.project;
    for (const reflection of Object.values(project.reflections)) {
      if (
        !reflection.kindOf(
          ReflectionKind.Property | ReflectionKind.Method | ReflectionKind.Accessor,
        )
      )
        continue;
      if (!reflection.flags.isExternal && !reflection.inheritedFrom) continue;
      const sources = reflection.sources ?? [];
      if (sources.length > 0 && sources.every((s) => s.fullFileName.includes("/node_modules/"))) {
        project.removeReflection(reflection);
      }
    }
  });
}
