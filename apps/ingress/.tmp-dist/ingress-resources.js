export {};
//# sourceMappingURL=ingress-resources.js.map