import { commandArguments } from './command-arguments.js';

describe('commandArguments', () => {
  it.each<[string, Parameters<typeof commandArguments>[2], string[]]>([
    ['@stagecraft promote staging-41', 'promote', ['staging-41']],
    ['Ship it.\n@stagecraft rollback production staging-40 please', 'rollback', ['production', 'staging-40', 'please']],
    ['@stagecraft promote', 'promote', []],
    ['> @stagecraft promote staging-1\n@stagecraft promote staging-2', 'promote', ['staging-2']],
    ['@stagecraft deploy now', 'deploy', []],
  ])('reads %j', (body, command, expected) => {
    expect(commandArguments(body, 'stagecraft', command)).toEqual(expected);
  });
});
