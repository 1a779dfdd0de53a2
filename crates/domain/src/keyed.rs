//! Enums whose every value has a key and a label, written once, side by side: the key
//! is the snake_case word of the API, the database and the URLs; the label is how the
//! pages, documents and messages say it to a person. Nothing else spells either.

/// Declares a unit enum with a key and a label for each variant, and gives it `ALL`
/// (declaration order), `as_str` (the key), `label`, `parse` (from a key) and `choices`
/// (key and label pairs, for a form's radios and checkboxes). Serde uses the keys.
#[macro_export]
macro_rules! keyed {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident = $key:literal, $label:literal;)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $key)] $variant,)+
        }

        impl $name {
            /// Every value, in the order they are declared.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The key: the word for this value on the API and in storage.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $key,)+
                }
            }

            /// How a person reads this value.
            pub fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label,)+
                }
            }

            /// The value whose key this is.
            pub fn parse(key: &str) -> Option<$name> {
                match key {
                    $($key => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// Every (key, label) pair, in order: the options of a form's input.
            pub fn choices() -> Vec<(&'static str, &'static str)> {
                $name::ALL.iter().map(|v| (v.as_str(), v.label())).collect()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    crate::keyed! {
        /// A test enum.
        pub enum Colour {
            Light = "light_blue", "Light blue";
            Dark = "dark_blue", "Dark blue";
        }
    }

    #[test]
    fn keys_and_labels_come_from_one_declaration() {
        assert_eq!(Colour::Light.as_str(), "light_blue");
        assert_eq!(Colour::Dark.label(), "Dark blue");
        assert_eq!(Colour::parse("dark_blue"), Some(Colour::Dark));
        assert_eq!(Colour::parse("Dark blue"), None);
        assert_eq!(serde_json::to_string(&Colour::Light).unwrap(), "\"light_blue\"");
        assert_eq!(
            Colour::choices(),
            vec![("light_blue", "Light blue"), ("dark_blue", "Dark blue")]
        );
    }
}
