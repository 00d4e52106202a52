// Agora's additions to Swagger UI, a plugin its start-up script loads (SWAGGER_UI_SETTINGS).
// A file of its own: the docs page's Content-Security-Policy runs no inline script.
"use strict";

window.AgoraSwaggerUI = function AgoraSwaggerUI() {
  const needsNoToken = (requirement) => requirement.isEmpty();
  return {
    statePlugins: {
      auth: {
        wrapSelectors: {
          // A route that takes a token optionally lists "{}" among its security requirements,
          // which Swagger UI counts as met before anyone authorizes: its lock showed closed.
          // Judge every lock by the token requirements alone, so that each one says whether
          // you are authorized.
          isAuthorized: (original) => (state, securities) => {
            const withToken = securities ? securities.filterNot(needsNoToken) : securities;
            return original(withToken && withToken.size ? withToken : securities);
          },
        },
      },
    },
    wrapComponents: {
      // A class on each operation that names what it asks of a token; swagger-ui-agora.css
      // writes it beside the lock: "token required" or "token optional".
      OperationSummary: (Original, system) => (props) => {
        const security = props.operationProps.get("security");
        const summary = system.React.createElement(Original, props);
        if (!security || !security.size) {
          return summary;
        }
        const optional = security.some(needsNoToken);
        const className = optional ? "agora-token-optional" : "agora-token-required";
        return system.React.createElement("div", { className }, summary);
      },
    },
  };
};
