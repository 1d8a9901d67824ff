import { describe, it, expect } from '@jest/globals';
import { parseCommands } from './parse-commands.js';

describe('parseCommands', () => {
  it.each([
    ['a plain command', '@stagecraft deploy', ['deploy']],
    ['every command name', '@stagecraft deploy @stagecraft trigger @stagecraft status @stagecraft help @stagecraft skip @stagecraft promote',
      ['deploy', 'trigger', 'status', 'help', 'skip', 'promote']],
    ['upper-case mention and command', '@StageCraft DEPLOY', ['deploy']],
    ['mid-sentence', 'Looks good, @stagecraft deploy please.', ['deploy']],
    ['on a later line', 'LGTM\n\n@stagecraft trigger', ['trigger']],
    ['CRLF line endings', 'LGTM\r\n@stagecraft promote\r\n', ['promote']],
    ['the app [bot] handle', '@stagecraft[bot] deploy', ['deploy']],
    ['a colon after the mention', '@stagecraft: status', ['status']],
    ['several spaces', '@stagecraft    help', ['help']],
    ['punctuation after the command', '@stagecraft deploy!', ['deploy']],
    ['no command', 'nice work', []],
    ['a mention without command', '@stagecraft what do you think?', []],
    ['an unknown command', '@stagecraft destroy', []],
    ['a longer word starting with a command', '@stagecraft deployment', []],
    ['a hyphenated word', '@stagecraft deploy-now', []],
    ['another bot', '@otherbot deploy', []],
    ['a longer handle', '@stagecraftx deploy', []],
    ['a handle with a prefix', '@my-stagecraft deploy', []],
    ['an e-mail address', 'mail ops@stagecraft deploy', []],
    ['a quoted line', '> @stagecraft deploy\nagreed', []],
    ['an indented quoted line', '   > @stagecraft deploy', []],
    ['a command after a quote', '> @stagecraft deploy\n@stagecraft trigger', ['trigger']],
    ['a fenced block', '```\n@stagecraft deploy\n```', []],
    ['a fenced block with a language', '```sh\n@stagecraft deploy\n```\n', []],
    ['a tilde fence', '~~~\n@stagecraft deploy\n~~~', []],
    ['a command after a closed fence', '```\n@stagecraft deploy\n```\n@stagecraft status', ['status']],
    ['an unclosed fence', 'see:\n```\n@stagecraft deploy', []],
    ['a shorter fence that does not close a longer one', '````\n```\n@stagecraft deploy\n````', []],
    ['a tilde that does not close a backtick fence', '```\n~~~\n@stagecraft deploy\n```\n@stagecraft help', ['help']],
    ['repeated commands once each, in order', '@stagecraft status @stagecraft deploy @stagecraft status', ['status', 'deploy']],
  ])('%s', (_case, body, expected) => {
    expect(parseCommands(body, 'stagecraft')).toEqual(expected);
  });

  it.each([
    ['a bot name with regex characters', 'deploy.bot', '@deploy.bot deploy @deployxbot trigger', ['deploy']],
    ['a bot name given in upper case', 'StageCraft', '@stagecraft help', ['help']],
  ])('%s', (_case, botName, body, expected) => {
    expect(parseCommands(body, botName)).toEqual(expected);
  });
});
