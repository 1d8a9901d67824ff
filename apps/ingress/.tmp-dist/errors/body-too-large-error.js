/** A webhook body over apps.ingress.bodyLimit; GitHub caps payloads at 25 MB, so raise the limit if real deliveries hit it. */
export class BodyTooLargeError extends Error {
    limitBytes;
    name = this.constructor.name;
    constructor(limitBytes) {
        super(`the body is larger than ${limitBytes} bytes; raise apps.ingress.bodyLimit if GitHub really sends such payloads`);
        this.limitBytes = limitBytes;
    }
}
//# sourceMappingURL=body-too-large-error.js.map