import { routeHandler } from '../../shared/http/route-handler';
import { ok } from '../../shared/http/responses';
import { openApiDocument } from '../../shared/openapi/document';

let document: Record<string, unknown> | undefined;

/** Built once per container: the route table and schemas do not change while it runs. */
export const handler = routeHandler('get-openapi', {}, async () => {
  document ??= openApiDocument();
  return ok(document);
});
