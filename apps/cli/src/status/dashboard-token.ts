import { CliFailure } from '../errors/cli-failure.js';
import { LOCAL_SECRET_FILES, readLocalSecret } from '@stagecraft/launcher';

/** --token, else STAGECRAFT_DASHBOARD_TOKEN, else the file `stagecraft start` wrote in this directory. */
export function resolveDashboardToken(flag: string | null, env: NodeJS.ProcessEnv, cwd: string): string {
  const token = flag ?? (env['STAGECRAFT_DASHBOARD_TOKEN'] || null) ?? readLocalSecret(cwd, LOCAL_SECRET_FILES.dashboardToken);
  if (token === null) {
    throw new CliFailure(
      `no dashboard token: pass --token, set STAGECRAFT_DASHBOARD_TOKEN, or run this where \`stagecraft start\` wrote ${LOCAL_SECRET_FILES.dashboardToken}`,
    );
  }
  return token;
}
