import { BodyTooLargeError } from './errors/body-too-large-error.js';
/**
 * The request body as received, byte for byte. Fails with BodyTooLargeError as soon as the
 * declared or received size passes `limitBytes`, without buffering the rest.
 */
export function readBody(req, limitBytes) {
    const declared = Number(req.headers['content-length']);
    if (declared > limitBytes)
        return Promise.reject(new BodyTooLargeError(limitBytes));
    return new Promise((resolve, reject) => {
        const chunks = [];
        let size = 0;
        const onData = (chunk) => {
            size += chunk.length;
            if (size > limitBytes) {
                stop();
                reject(new BodyTooLargeError(limitBytes));
                return;
            }
            chunks.push(chunk);
        };
        const onEnd = () => {
            stop();
            resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
        };
        const onError = (err) => {
            stop();
            reject(err);
        };
        const onClose = () => {
            stop();
            reject(new Error('the client closed the connection before the body was complete'));
        };
        const stop = () => {
            req.off('data', onData);
            req.off('end', onEnd);
            req.off('error', onError);
            req.off('close', onClose);
        };
        req.on('data', onData);
        req.on('end', onEnd);
        req.on('error', onError);
        req.on('close', onClose);
    });
}
//# sourceMappingURL=read-body.js.map