import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { KubeContextNotFoundError } from './errors/kube-context-not-found-error.js';
import { KubeconfigUnreadableError } from './errors/kubeconfig-unreadable-error.js';
import { NotInClusterError } from './errors/not-in-cluster-error.js';
import { loadKubeConfig } from './load-kube-config.js';
import { writeKubeconfig } from '@stagecraft/testing';

let dir: string;
let kubeconfig: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stagecraft-kubeconfig-'));
  kubeconfig = writeKubeconfig(dir, { server: 'http://127.0.0.1:6443', token: 't' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SETTING = 'environments.staging.kubernetes';

describe('loadKubeConfig', () => {
  it('loads the file and switches to the context named', () => {
    const kc = loadKubeConfig({ kubeconfig, context: 'fake', namespace: 'apps', inCluster: false }, SETTING);
    expect(kc.getCurrentContext()).toBe('fake');
    expect(kc.getCurrentCluster()?.server).toBe('http://127.0.0.1:6443');
  });

  it("keeps the file's current context when none is named", () => {
    expect(loadKubeConfig({ kubeconfig, namespace: 'apps', inCluster: false }, SETTING).getCurrentContext()).toBe('elsewhere');
  });

  it('names the file and the contexts it has when the context is not there', () => {
    const load = () => loadKubeConfig({ kubeconfig, context: 'prod', namespace: 'apps', inCluster: false }, SETTING);
    expect(load).toThrow(KubeContextNotFoundError);
    expect(load).toThrow(
      `the kubeconfig ${kubeconfig} has no context "prod" (named by ${SETTING}.context); it has "fake", "elsewhere": fix the context name or point kubeconfig at the right file`,
    );
  });

  it('names a kubeconfig that does not exist', () => {
    const missing = join(dir, 'nope');
    const load = () => loadKubeConfig({ kubeconfig: missing, namespace: 'apps', inCluster: false }, SETTING);
    expect(load).toThrow(KubeconfigUnreadableError);
    expect(load).toThrow(`cannot load the kubeconfig ${missing} (no such file), named by ${SETTING}.kubeconfig: check the path and that the file is a kubeconfig`);
  });

  it('names a file that is not a kubeconfig', () => {
    const bad = join(dir, 'bad');
    writeFileSync(bad, 'clusters: [{ name: x }');
    expect(() => loadKubeConfig({ kubeconfig: bad, namespace: 'apps', inCluster: false }, SETTING)).toThrow(`cannot load the kubeconfig ${bad} (`);
  });

  it('says so when inCluster is set outside a pod', () => {
    expect(() => loadKubeConfig({ namespace: 'apps', inCluster: true }, SETTING, {})).toThrow(NotInClusterError);
  });
});
