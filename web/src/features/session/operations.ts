import { graphql } from "../../gql";

export const TENANT_QUERY = graphql(`
  query Tenant {
    tenant {
      name
      schemaName
    }
  }
`);

export const ME_QUERY = graphql(`
  query Me {
    me {
      id
      email
      isStaff
    }
  }
`);

export const LOGIN_MUTATION = graphql(`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      token
      user {
        id
        email
      }
    }
  }
`);

export const LOGOUT_MUTATION = graphql(`
  mutation Logout {
    logout
  }
`);
