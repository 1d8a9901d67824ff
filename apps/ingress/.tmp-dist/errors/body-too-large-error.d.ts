/** A webhook body over apps.ingress.bodyLimit; GitHub caps payloads at 25 MB, so raise the limit if real deliveries hit it. */
export declare class BodyTooLargeError extends Error {
    readonly limitBytes: number;
    name: string;
    constructor(limitBytes: number);
}
