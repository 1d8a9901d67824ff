import type { StagecraftConfig } from '@stagecraft/config';
import type { PromotionEnvironment } from '@stagecraft/engine';

/** Every environment's promotion settings (staging's keepReleases counts too: its releases are what is promoted). */
export function promotionEnvironmentsFrom(config: StagecraftConfig): Record<string, PromotionEnvironment> {
  return Object.fromEntries(
    Object.entries(config.environments).map(([name, e]) => [
      name,
      {
        approval: e.approval,
        from: e.from,
        requires: e.requires,
        approvals: e.approvals,
        noSelfApproval: e.noSelfApproval,
        requestTtl: e.requestTtl,
        denyWindows: e.denyWindows,
        keepReleases: e.keepReleases,
      },
    ]),
  );
}
