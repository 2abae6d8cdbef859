/**
 * Names the generated file declares must not collide with what it imports, with the globals it uses, or
 * with each other: a schema with an arena named `Arena`, a struct `HashMap` (→ `HashMapView`, an import),
 * or two enum fields whose constants spell the same (`A.bC` and `A_b.c` → `A_B_C`) generated a file that
 * did not compile, reported with a ✔. Refused here, by name, before anything is written.
 */
import type { ArenaLayout } from './layout.js';
import { SchemaErrors } from './errors.js';
import { SECTIONS } from './sections.js';

/** What generated code may import from @sabre/arena/internal, or refer to as a global. */
const TAKEN = new Set([
  'Arena', 'checkArena', 'Ctx', 'jsonSafe', 'typedArray', 'list', 'List',
  ...Object.values(SECTIONS).flatMap((s) => s.imports),
  'Array', 'ArrayBuffer', 'BigInt', 'Boolean', 'JSON', 'Math', 'Number', 'Object', 'Promise', 'Record', 'SharedArrayBuffer', 'String',
  'Int8Array', 'Uint8Array', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array', 'DataView',
]);

/** Instance members of the generated root class, which sections must not shadow. */
const ROOT_MEMBERS = new Set(['arena', 'toJSON', 'constructor']);

/**
 * Parameters and locals of the generated root class's methods, which the arena's own name must not be:
 * `new ${name}(…)` inside them would reach the local instead of the class (an arena named `arena` checked
 * a foreign arena against itself and accepted it). Each section adds its context local `${section}Ctx`.
 */
const ROOT_LOCALS = ['arena', 'strings', 'buffer', 'options', 'path', 'load'];

/** Throws SCHEMA_BAD_NAME for the first generated identifier that collides; `enumConst` names enum arrays. */
export function checkGeneratedNames(layout: ArenaLayout, enumConst: (owner: string, field: string) => string): void {
  const declared = new Map<string, string>(); // identifier → what declared it
  const declare = (id: string, what: string, path: string, name: string) => {
    const clash = TAKEN.has(id) ? `the generated code's own ${JSON.stringify(id)}` : declared.get(id);
    if (clash !== undefined) throw SchemaErrors.badName(path, what, name, `would generate ${JSON.stringify(id)}, which collides with ${clash}; rename it`);
    declared.set(id, `${what} ${JSON.stringify(name)}`);
  };
  declare(layout.name, 'arena name', layout.name, layout.name);
  const locals = [...ROOT_LOCALS, ...layout.sections.map((sec) => `${sec.name}Ctx`)];
  if (locals.includes(layout.name)) throw SchemaErrors.badName(layout.name, 'arena name', layout.name, `is a parameter or local of the generated class's methods (${locals.join(', ')}); rename the arena`);
  for (const s of layout.structs.values()) {
    declare(`${s.name}View`, 'struct name', s.name, s.name);
    declare(`${s.name}Data`, 'struct name', s.name, s.name);
    for (const f of s.fields) {
      const slot = f.slot.kind === 'vector' ? f.slot.element : f.slot;
      if (slot.kind === 'enum') declare(enumConst(s.name, f.name), 'enum field', `${s.name}.${f.name}`, f.name);
    }
  }
  for (const sec of layout.sections) {
    if (ROOT_MEMBERS.has(sec.name)) throw SchemaErrors.badName(`${layout.name}.${sec.name}`, 'section name', sec.name, `is a member of the generated ${layout.name} class; rename the section`);
  }
}
