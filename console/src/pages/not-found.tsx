import { followLink, href } from '../router.ts';
import type { Access, Role } from '../roles.ts';

export function NotFoundPage() {
  return (
    <>
      <h1>Page not found</h1>
      <p>
        This console page does not exist. <a href={href('/')} onClick={followLink}>Go to the overview</a>.
      </p>
    </>
  );
}

/** A page the signed-in key's role may not read (the API would refuse its calls with 403 anyway). */
export function NotAllowed({ role, needs }: { role: Role; needs: Access }) {
  return (
    <>
      <h1>Not available to your role</h1>
      <p>
        This page needs a {needs} key; you signed in with a {role} key. <a href={href('/')} onClick={followLink}>Go to the overview</a>.
      </p>
    </>
  );
}
