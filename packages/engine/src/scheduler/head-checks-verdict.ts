import { checksVerdict, type ChecksVerdict, type ReportedCheck } from '@stagecraft/policy';
import type { RequiredNames } from './required-check-names.js';

/** How a head's checks stand against its repository's required names; pending when the names are not known. */
export function headChecksVerdict(required: RequiredNames, reported: Iterable<Pick<ReportedCheck, 'name' | 'state'>>): ChecksVerdict {
  if ('unknown' in required) return { state: 'pending', waiting: [`the required checks (${required.unknown})`], failed: [] };
  return checksVerdict(required.names, reported);
}
