import { z } from 'zod';
import { NAME_PATTERN } from './environments-schema.js';

const globs = z.array(z.string().min(1, 'expected a path glob like "services/api/**"'));

export const componentSchema = z
  .strictObject({
    name: z.string().regex(NAME_PATTERN, 'expected a name of lowercase letters, digits and "-", like "api"'),
    /** The repository its paths are in (`owner/name` from repositories:); may be left out when there is one. */
    repository: z.string().min(1).optional(),
    /** Changes here rebuild the component's images. */
    paths: globs,
    /** Changes here only redeploy (e.g. test lists), no rebuild. */
    configPaths: globs.default([]),
    images: z.array(z.string().min(1)).default([]),
    context: z.string().min(1).default('.'),
    deployments: z.array(z.string().min(1)).optional(),
  })
  .transform(({ deployments, ...component }) => ({ ...component, deployments: deployments ?? [component.name] }));

export const componentsSchema = z.array(componentSchema).superRefine((components, ctx) => {
  const firstIndex = new Map<string, number>();
  components.forEach((component, index) => {
    const first = firstIndex.get(component.name);
    if (first === undefined) firstIndex.set(component.name, index);
    else ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `duplicate component name "${component.name}" (components.${first} has it too): names must be unique` });
  });
});
