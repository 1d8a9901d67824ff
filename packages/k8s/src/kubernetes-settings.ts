import type { StagecraftConfig } from '@stagecraft/config';

/** An environment's `kubernetes` settings, as the config parsed them. */
export type KubernetesSettings = NonNullable<StagecraftConfig['environments'][string]['kubernetes']>;

/** stages.deploy with `executor: kubernetes`. */
export type KubernetesDeployStageConfig = Extract<StagecraftConfig['stages']['deploy'], { executor: 'kubernetes' }>;

/** stages.build with `executor: kubernetes`. */
export type KubernetesBuildStageConfig = Extract<StagecraftConfig['stages']['build'], { executor: 'kubernetes' }>;
