import type { z } from 'zod';
import type { ConfigSchema } from './schema/config-schema.js';

export type StagecraftConfig = z.output<ConfigSchema>;
export type ComponentConfig = StagecraftConfig['components'][number];
export type StageKey = keyof StagecraftConfig['stages'];
export type StageConfig = StagecraftConfig['stages'][StageKey];
export type EnvironmentConfig = StagecraftConfig['environments'][string];
export type LogLevel = StagecraftConfig['log']['level'];
