/** Two parts of an app define the same metric name differently; one of them must be renamed. */
export class MetricDefinitionConflictError extends Error {
  override name = this.constructor.name;

  constructor(
    readonly metric: string,
    readonly existing: string,
    readonly requested: string,
  ) {
    super(
      `metric ${metric} is already registered as ${existing} but is now requested as ${requested}; ` +
        'give one of them another name, or define it the same way in both places',
    );
  }
}
