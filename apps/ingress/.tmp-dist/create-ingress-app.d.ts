import express from 'express';
import type { IngressResources } from './ingress-resources.js';
/** The ingress HTTP app: POST /webhooks plus /healthz, /readyz and /metrics. */
export declare function createIngressApp(resources: IngressResources): express.Express;
