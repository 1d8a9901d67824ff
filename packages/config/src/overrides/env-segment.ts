export const OVERRIDE_PREFIX = 'STAGECRAFT_';
export const SEGMENT_SEPARATOR = '__';

/** A config key as it is written in an override variable: settleMax → SETTLE_MAX, testKernel → TEST_KERNEL. */
export function toEnvSegment(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/-/g, '_')
    .toUpperCase();
}

/** The override variable for a config path: ['policy', 'settleMax'] → STAGECRAFT_POLICY__SETTLE_MAX. */
export function overrideVariable(path: readonly (string | number)[]): string {
  return OVERRIDE_PREFIX + path.map((key) => toEnvSegment(String(key))).join(SEGMENT_SEPARATOR);
}
